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

// ZPL's ASCII compression of graphic field data (ZPL II guide, "Alternative Data Compression
// Scheme"): a count before a hexadecimal digit repeats it (G..Y = 1..19, g..z = 20..400), a comma
// ends a row with zeros (white) and a colon repeats the row above. A label is mostly white rows and
// repeated barcode rows: a 300 dpi page of 540 kB in plain hexadecimal shrinks to a few tens.
const ONES = 'GHIJKLMNOPQRSTUVWXY';
const TWENTIES = 'ghijklmnopqrstuvwxyz';

function repeatCount(count: number): string {
  let out = 'z'.repeat(Math.floor(count / 400));
  const rest = count % 400;
  if (rest >= 20) out += TWENTIES[Math.floor(rest / 20) - 1];
  if (rest % 20) out += ONES[(rest % 20) - 1];
  return out;
}

function compressRow(hex: string): string {
  const body = hex.replace(/0+$/, '');
  let out = '';
  for (let i = 0; i < body.length;) {
    let run = 1;
    while (body[i + run] === body[i]) run++;
    out += (run > 1 ? repeatCount(run) : '') + body[i];
    i += run;
  }
  return body.length < hex.length ? `${out},` : out;
}

/** ^GFA data for rows of `bytesPerRow` bytes (1 bits print black), compressed. */
export function graphicFieldData(bytes: Buffer, bytesPerRow: number): string {
  const rows: string[] = [];
  let previous: string | undefined;
  for (let offset = 0; offset < bytes.length; offset += bytesPerRow) {
    const row = bytes
      .subarray(offset, offset + bytesPerRow)
      .toString('hex')
      .toUpperCase();
    rows.push(row === previous ? ':' : compressRow(row));
    previous = row;
  }
  return rows.join('');
}
