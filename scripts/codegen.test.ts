import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateResolverTypes, outputFile, TARGETS } from './codegen.ts';

describe('generated resolver types', () => {
  it.each(TARGETS.map((target) => [target.name, target] as const))(
    'for %s match its SDL (run npm run codegen if this fails)',
    async (_name, target) => {
      expect(readFileSync(outputFile(target.name), 'utf8')).toBe(await generateResolverTypes(target));
    },
  );
});
