// Registries (KB truth, security checklist) name the tests that prove a claim by file and exact
// title; this checks that each named test exists, word for word, in the named file.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export interface TestRef {
  file: string;
  test: string;
}

const ROOT = resolve(import.meta.dirname, '../..');

/** The references whose test title is not found in its file, as `label: file › title`. */
export function missingTests(registry: Record<string, TestRef[]>): string[] {
  const missing: string[] = [];
  for (const [label, refs] of Object.entries(registry)) {
    if (refs.length === 0) missing.push(`${label}: no test named`);
    for (const { file, test: title } of refs) {
      const path = join(ROOT, file);
      const source = existsSync(path) ? readFileSync(path, 'utf8') : '';
      if (!source.includes(`'${title}'`) && !source.includes(`"${title}"`) && !source.includes(`\`${title}\``)) missing.push(`${label}: ${file} › ${title}`);
    }
  }
  return missing;
}
