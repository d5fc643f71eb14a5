// The definition the UPS double validates against: carriers/ups/spec/ups-openapi.yaml with the few
// constraints UPS's own examples contradict relaxed (carriers/ups/spec/README.md, "UPS's examples
// against UPS's schemas"), because no request, or no reply UPS really sends, could meet them. Each
// correction says why; everything else is UPS's text, closed by the guard (sandbox/openapi.ts).
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';

export const UPS_SPEC = path.join(__dirname, '..', '..', 'carriers', 'ups', 'spec', 'ups-openapi.yaml');

type Schema = { required?: string[]; properties?: Record<string, Schema>; minLength?: number; [key: string]: unknown };

/** LandedCost.yaml's schemas with numbers in them. */
const LANDED_COST_SCHEMAS = [
  'LandedCost.LandedCostRequest',
  'LandedCost.LandedCostRequest_Shipment',
  'LandedCost.Request_ShipmentItems',
  'LandedCost.LandedCostResponse',
  'LandedCost.brokerageFeeItems',
  'LandedCost.Response_ShipmentItems',
];

/** Drops `maximum` from every number and integer in the schema (its properties, nested, and array items). */
function dropNumericMaximum(schema: Schema): void {
  if (schema.type === 'number' || schema.type === 'integer') delete schema.maximum;
  for (const sub of Object.values(schema.properties ?? {})) dropNumericMaximum(sub);
  if (schema.items) dropNumericMaximum(schema.items as Schema);
}

/** A correction: the schema it changes, what it does, and why. */
const CORRECTIONS: Array<{ schema: string; why: string; apply: (schema: Schema) => void }> = [
  {
    schema: 'Rating.RateRequest_Request',
    why: 'requires RequestOption, a property it does not define (the option is in the path); none of the 10 Rate examples sends it',
    apply: (s) => {
      s.required = (s.required ?? []).filter((name) => name !== 'RequestOption');
    },
  },
  {
    schema: 'Pickup.PickupCreationRequest_PickupDateInfo',
    why: "PickupDate has minLength and maxLength 4, yet its own description's format is yyyyMMdd and UPS's example sends '20221214'",
    apply: (s) => {
      Object.assign(s.properties!.PickupDate, { minLength: 8, maxLength: 8 });
    },
  },
  {
    schema: 'Shipping.LabelImage_LabelImageFormat',
    why: "Label Recovery's LabelImageFormat.Code has minLength 4, yet the formats it names (GIF, ZPL, EPL, SPL, PDF) have 3 letters",
    apply: (s) => {
      s.properties!.Code.minLength = 3;
    },
  },
  {
    schema: 'LandedCost.LandedCostResponse',
    why: "requires alVersion, perfStats and transID at the top level but defines them only under shipment; UPS's example sends transID and perfStats at the top",
    apply: (s) => {
      const { alVersion, perfStats, transID } = s.properties!.shipment.properties!;
      Object.assign(s.properties!, { alVersion, perfStats, transID });
    },
  },
  ...LANDED_COST_SCHEMAS.map((schema) => ({
    schema,
    why: "LandedCost.yaml writes `maximum: 1` on every field as a count (99 on arrays): on a number it would cap a price, a quantity or a duty at 1, which UPS's own example breaks",
    apply: dropNumericMaximum,
  })),
];

/** The corrected document, written once per content to the temp directory (the guard reads a file); its path. */
export function correctedUpsSpec(): string {
  const text = fs.readFileSync(UPS_SPEC, 'utf8');
  const version = createHash('sha256')
    .update(text)
    .update(CORRECTIONS.map((c) => c.schema + c.apply.toString()).join())
    .digest('hex');
  const file = path.join(os.tmpdir(), `ups-openapi.${version.slice(0, 12)}.json`);
  if (fs.existsSync(file)) return file;
  const doc = YAML.parse(text, { maxAliasCount: -1 }) as Record<string, unknown>;
  const schemas = (doc.components as { schemas: Record<string, Schema> }).schemas;
  for (const { schema, apply } of CORRECTIONS) apply(schemas[schema]);
  const temporary = `${file}.${process.pid}`;
  fs.writeFileSync(temporary, JSON.stringify(doc));
  fs.renameSync(temporary, file); // atomic: parallel test workers never read half a file
  return file;
}
