// Customer message templates: one YAML file per locale (templates/<locale>.yaml) that merchants
// edit, rendered with Handlebars. Everything is compiled and checked when the worker starts, so a
// broken template stops the deploy instead of failing the first customer at 3 a.m.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import { parse as parseYaml } from 'yaml';
import type { Locale } from '../../domain/order';
import { LOCALES, NOTIFICATION_EVENTS, PLACEHOLDERS, type NotificationEvent, type TemplateData } from './events';

export const DEFAULT_TEMPLATES_DIR = join(__dirname, 'templates');

const PARTS = ['subject', 'text', 'html', 'sms'] as const;
type Part = (typeof PARTS)[number];

export interface RenderedMessage {
  subject: string;
  text: string;
  html: string;
  sms: string;
}

export type Templates = (event: NotificationEvent, locale: Locale, data: TemplateData) => RenderedMessage;

/** Thrown at start-up with every problem found, each naming its file, event and part. */
export class TemplateError extends Error {
  constructor(readonly problems: string[]) {
    super(`broken notification templates:\n  ${problems.join('\n  ')}`);
  }
}

/** The placeholders a template uses: every {{name}} / {{{name}}}, also inside blocks. */
function placeholdersOf(source: string): string[] {
  const found: string[] = [];
  const visitor = new Handlebars.Visitor();
  visitor.PathExpression = (path: hbs.AST.PathExpression) => {
    found.push(path.original);
  };
  visitor.accept(Handlebars.parse(source));
  return found;
}

/** Compiles one template after checking it only names placeholders its event provides. */
function compilePart(
  source: unknown,
  where: string,
  allowed: readonly string[],
  problems: string[],
): HandlebarsTemplateDelegate | undefined {
  if (typeof source !== 'string' || source.trim() === '') {
    problems.push(`${where}: missing`);
    return undefined;
  }
  try {
    const unknown = placeholdersOf(source).filter((name) => !allowed.includes(name));
    if (unknown.length > 0) {
      problems.push(`${where}: unknown placeholder ${unknown.map((n) => `{{${n}}}`).join(', ')} (allowed: ${allowed.join(', ')})`);
      return undefined;
    }
    const html = where.endsWith('.html');
    return Handlebars.compile(source, { strict: true, noEscape: !html });
  } catch (err) {
    problems.push(`${where}: ${(err as Error).message.split('\n')[0]}`);
    return undefined;
  }
}

function readLocale(dir: string, locale: Locale, problems: string[]): Record<string, Record<string, unknown>> {
  const file = join(dir, `${locale}.yaml`);
  try {
    const parsed = parseYaml(readFileSync(file, 'utf8')) as unknown;
    if (parsed && typeof parsed === 'object') return parsed as Record<string, Record<string, unknown>>;
    problems.push(`${file}: not a map of events`);
  } catch (err) {
    problems.push(`${file}: ${(err as Error).message.split('\n')[0]}`);
  }
  return {};
}

/**
 * Loads and checks every locale's templates. Throws TemplateError listing every problem:
 * a missing event or part, an unknown placeholder, a syntax error, an event nobody sends.
 */
export function loadTemplates(dir = DEFAULT_TEMPLATES_DIR): Templates {
  const problems: string[] = [];
  const compiled = new Map<string, HandlebarsTemplateDelegate>();
  const layout = compilePart(
    readFileSafe(join(dir, 'layout.html'), problems),
    'layout.html',
    ['locale', 'subject', 'body', 'shopName'],
    problems,
  );
  for (const locale of LOCALES) {
    const events = readLocale(dir, locale, problems);
    for (const extra of Object.keys(events).filter((e) => !(NOTIFICATION_EVENTS as readonly string[]).includes(e))) {
      problems.push(`${locale}.yaml: ${extra}: not an event we send (events: ${NOTIFICATION_EVENTS.join(', ')})`);
    }
    for (const event of NOTIFICATION_EVENTS) {
      for (const part of PARTS) {
        const template = compilePart(events[event]?.[part], `${locale}.yaml: ${event}.${part}`, PLACEHOLDERS[event], problems);
        if (template) compiled.set(`${locale}/${event}/${part}`, template);
      }
    }
  }
  if (problems.length > 0 || !layout) throw new TemplateError(problems);

  return (event, locale, data) => {
    const part = (name: Part) => compiled.get(`${locale}/${event}/${name}`)!(data).trim();
    const subject = part('subject');
    return {
      subject,
      text: `${part('text')}\n`,
      html: layout({ locale, subject, body: part('html'), shopName: data.shopName }),
      sms: part('sms'),
    };
  };
}

function readFileSafe(file: string, problems: string[]): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    problems.push(`${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    return undefined;
  }
}
