// Prints the dev server's --search-attribute flags from workflows/definitions.ts,
// so the shell scripts never repeat the list.
import { TypedSearchAttributes } from '@temporalio/common';
import { searchAttributes } from '../workflows/definitions';

const flags = Object.values(searchAttributes).map(
  (key) => `--search-attribute=${key.name}=${TypedSearchAttributes.toMetadataType(key.type)}`,
);
console.log(flags.join('\n'));
