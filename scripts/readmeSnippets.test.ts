/**
 * Every command the README gives works as written. Each line of its ```sh blocks is either run
 * here and must succeed, or listed below with the reason it is not (so a new snippet needs a
 * decision); the `--check` commands of its Commands table are run too; and every npm script it
 * names exists in package.json.
 */
import { exec } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const root = new URL('..', import.meta.url);
const readme = readFileSync(new URL('README.md', root), 'utf8');
const scripts = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')).scripts as Record<string, string>;
const run = promisify(exec);

/** Lines of the README's shell blocks that are not run here, and why. */
const NOT_RUN: Record<string, string> = {
  'npm install': 'installs packages: the suite runs after it',
  'npm start': 'runs until stopped: e2e/npmStart.test.ts starts it and checks what it prints and serves',
};

/** Commands the Commands table gives as `npm run <script>` (`-- --check`): read-only checks, run here too. */
const TABLE_CHECKS = ['npm run compose -- --check', 'npm run codegen -- --check', 'npm run authz:matrix -- --check'];

const JWT = /^[\w-]+\.[\w-]+\.[\w-]+$/;

function shellLines(markdown: string): string[] {
  const blocks = [...markdown.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((match) => match[1]!);
  return blocks
    .flatMap((block) => block.split('\n'))
    .map((line) => line.replace(/\s+#.*$/, '').trim())
    .filter(Boolean);
}

/** `npm run x`, `npm start`, `npm test` anywhere, and the bare names listed beside them in the Commands table. */
function npmScriptsNamed(markdown: string): string[] {
  const named = [...markdown.matchAll(/npm (?:run (?:-s )?)?([a-z][\w:-]*)/g)].map((match) => match[1]!);
  const tableRows = markdown.split('\n').filter((line) => line.startsWith('| `npm '));
  const bare = tableRows.flatMap((row) => [...row.split(' | ')[0]!.matchAll(/`([a-z][\w:-]*)`/g)].map((match) => match[1]!));
  const npmCommands = new Set(['install', 'ci', 'run']);
  return [...new Set([...named, ...bare])].filter((name) => !npmCommands.has(name));
}

describe('README.md', { timeout: 300_000 }, () => {
  const lines = shellLines(readme);

  it('has shell snippets, and every line is either run below or not run for a stated reason', () => {
    expect(lines.length).toBeGreaterThan(0);
    for (const line of Object.keys(NOT_RUN)) expect(lines, `${line} is no longer in the README`).toContain(line);
  });

  it('names only npm scripts that package.json has', () => {
    const named = npmScriptsNamed(readme);
    expect(named).toEqual(expect.arrayContaining(['start', 'test', 'token', 'compose', 'codegen', 'start:orders']));
    expect(named.filter((name) => !(name in scripts))).toEqual([]);
  });

  it('gives the --check commands it runs here', () => {
    for (const command of TABLE_CHECKS) {
      const [script] = command.replace('npm run ', '').split(' ');
      expect(readme).toContain(`\`npm run ${script}\` (\`-- --check\``);
    }
  });

  it('runs every safe shell line and --check command successfully; a token command prints a token and nothing else', async () => {
    const commands = [...lines.filter((line) => !(line in NOT_RUN)), ...TABLE_CHECKS];
    const results = await Promise.all(
      commands.map(async (command) => {
        const { stdout } = await run(command, { cwd: root, timeout: 240_000, env: { ...process.env, LOG_LEVEL: 'silent' } });
        return { command, stdout };
      }),
    );
    for (const { command, stdout } of results.filter((result) => result.command.startsWith('npm run -s token'))) {
      expect(stdout.trim(), command).toMatch(JWT);
    }
  });
});
