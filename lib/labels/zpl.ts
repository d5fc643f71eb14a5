// What a carrier's ZPL label says in words, for our own rendition of it: the text of each field
// that is not a barcode, in the label's order.

// ^BY only sets the barcode defaults; any other ^B command draws a barcode.
const BARCODE = /\^B(?!Y)[0-9A-Z]/;
const FIELD_DATA = /\^FD([\s\S]*)$/;

export function zplTextFields(zpl: string): string[] {
  return zpl
    .split('^FS')
    .filter((field) => !BARCODE.test(field))
    .map((field) => FIELD_DATA.exec(field)?.[1].trim())
    .filter((text): text is string => Boolean(text));
}
