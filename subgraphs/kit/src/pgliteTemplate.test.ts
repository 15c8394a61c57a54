import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { temporaryFolder } from '#platform/testing';
import { openDatabase } from './db.ts';
import { pgliteTemplateDir, startFromTemplate } from './pgliteTemplate.ts';

const SCRIPT = new URL('../../../scripts/postinstall/pgliteTemplate.mjs', import.meta.url).pathname;
const runScript = (code: string) =>
  execFileSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8', timeout: 120_000 }).trim();

describe('the install-time PGlite template', { timeout: 180_000 }, () => {
  const folder = temporaryFolder('pglite-template');
  const template = folder.path('template');

  beforeAll(() => {
    runScript(`import { makeTemplate } from ${JSON.stringify(SCRIPT)}; await makeTemplate(${JSON.stringify(template)});`);
  });
  afterAll(() => folder.remove());

  it('is looked for where the postinstall script puts it', () => {
    expect(runScript(`import { templateDir } from ${JSON.stringify(SCRIPT)}; console.log(templateDir());`)).toBe(
      pgliteTemplateDir(),
    );
  });

  it('becomes a database that opens, migrates and keeps its writes', async () => {
    const dataDir = folder.path('fresh');
    mkdirSync(dataDir);
    expect(startFromTemplate(dataDir, template)).toBe(true);
    expect(readdirSync(folder.path('.')).filter((name) => name.startsWith('fresh.'))).toEqual([]);
    const db = await openDatabase({ driver: 'pglite', dataDir });
    await db.exec('CREATE TABLE notes (body text); INSERT INTO notes VALUES ($$kept$$);');
    await db.close();
    const reopened = await openDatabase({ driver: 'pglite', dataDir });
    expect(await reopened.query('SELECT body FROM notes')).toEqual([{ body: 'kept' }]);
    await reopened.close();
  });

  it('never touches a folder that already holds something, nor copies a template that is not there', () => {
    const used = folder.path('used');
    mkdirSync(used);
    writeFileSync(join(used, 'PG_VERSION'), '17\n');
    expect(startFromTemplate(used, template)).toBe(false);
    expect(readdirSync(used)).toEqual(['PG_VERSION']);
    const empty = folder.path('empty');
    mkdirSync(empty);
    expect(startFromTemplate(empty, folder.path('no-template'))).toBe(false);
    expect(existsSync(join(empty, 'PG_VERSION'))).toBe(false);
  });

  it('leaves the folder empty, for initdb, when the template cannot be copied', () => {
    const dataDir = folder.path('after-failed-copy');
    mkdirSync(dataDir);
    // A file where the copy would go: the copy fails as it would on an unreadable template.
    writeFileSync(`${dataDir}.template-${process.pid}`, '');
    expect(startFromTemplate(dataDir, template)).toBe(false);
    expect(readdirSync(dataDir)).toEqual([]);
    expect(readdirSync(folder.path('.')).filter((name) => name.startsWith('after-failed-copy.'))).toEqual([]);
  });
});
