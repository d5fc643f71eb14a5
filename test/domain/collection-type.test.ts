// How cash on delivery is collected (issue 19): cash or card at the door, cash when the order does
// not say; anything else is refused, naming the field.
import { z } from 'zod';
import { OrderInputSchema } from '../../domain/order';
import { sampleOrder } from '../helpers/orders';

const withCod = (cashOnDelivery: object) => OrderInputSchema.safeParse(sampleOrder({ cashOnDelivery } as never));

describe('cashOnDelivery.collectionType', () => {
  test('cash and card are taken and kept as sent', () => {
    for (const collectionType of ['cash', 'card'] as const) {
      const parsed = withCod({ amount: 250, currency: 'TRY', collectionType });
      expect(parsed.success && parsed.data.cashOnDelivery).toEqual({ amount: 250, currency: 'TRY', collectionType });
    }
  });

  test('absent, nothing is filled in (cash): a resent order hashes as it did before the field existed', () => {
    const parsed = withCod({ amount: 250, currency: 'TRY' });
    expect(parsed.success && parsed.data.cashOnDelivery).toEqual({ amount: 250, currency: 'TRY' });
  });

  test.each(['cheque', 'CARD', '', 1])('%p is refused, naming cashOnDelivery.collectionType', (collectionType) => {
    const parsed = withCod({ amount: 250, currency: 'TRY', collectionType });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.path.join('.'))).toEqual(['cashOnDelivery.collectionType']);
  });

  test('the published contract lists the two types with cash as the default', () => {
    const schema = z.toJSONSchema(OrderInputSchema, { io: 'input' }) as unknown as {
      properties: { cashOnDelivery: { properties: { collectionType: { enum: string[]; default: string } } } };
    };
    expect(schema.properties.cashOnDelivery.properties.collectionType).toMatchObject({ enum: ['cash', 'card'], default: 'cash' });
  });
});
