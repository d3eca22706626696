/** The report's CLI: `foilopt analyze --report`, `foilopt report <run-dir>`, their one-line errors. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { run } from '../../src/cli/main';
import { writeSyntheticRunDir } from './fixtures';

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await run(argv, { stdout: (t) => void (out += t), stderr: (t) => void (err += t) });
  return { code, out, err };
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'foilopt-report-cli-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('report CLI', () => {
  test('analyze --report writes the report and keeps the JSON output clean', async () => {
    const file = path.join(tmp, 'a.html');
    const r = await cli(
      'analyze',
      'naca0012',
      '--re',
      '1e6',
      '--alpha',
      '0,4',
      '--json',
      '--report',
      file,
      '--field-grid',
      '31x19',
    );
    expect(r.code).toBe(0);
    const lines = r.out.trim().split('\n');
    expect(lines.map((l) => JSON.parse(l).alpha)).toEqual([0, 4]);
    expect(r.err).toMatch(/^report: .*a\.html \(\d\.\d\d MB, 6 figures\)\n$/);
    const html = fs.readFileSync(file, 'utf8');
    expect(html.includes('grid 31 × 19')).toBe(true);
    // --field-grid 0: no flow field figure
    const r0 = await cli(
      'analyze',
      'naca0012',
      '--re',
      '1e6',
      '--alpha',
      '2',
      '--report',
      path.join(tmp, 'b.html'),
      '--field-grid',
      '0',
    );
    expect(r0.code).toBe(0);
    expect(r0.out).toMatch(/report: .*b\.html \(\d\.\d\d MB, 5 figures\)/);
  });

  test('bad report options and directories are one-line errors with exit code 1', async () => {
    const g = await cli(
      'analyze',
      'naca0012',
      '--re',
      '1e6',
      '--report',
      path.join(tmp, 'c.html'),
      '--field-grid',
      '10by10',
    );
    expect(g.code).toBe(1);
    expect(g.err).toMatch(/^foilopt: --field-grid: expected NXxNY .*'10by10'\n$/);
    const m = await cli('report', path.join(tmp, 'missing'));
    expect(m.code).toBe(1);
    expect(m.err).toMatch(/^foilopt: .*missing: not a directory/);
    const e = await cli('report', tmp);
    expect(e.code).toBe(1);
    expect(e.err).toMatch(/^foilopt: .*result\.json: cannot read result\.json: ENOENT\n$/);
    fs.writeFileSync(path.join(tmp, 'result.json'), '{"version": 1,');
    const j = await cli('report', tmp);
    expect(j.code).toBe(1);
    expect(j.err).toMatch(/result\.json: result\.json is not valid JSON/);
    expect(j.err.split('\n').length).toBe(2);
  });

  test('report <run-dir> --json', async () => {
    const dir = path.join(tmp, 'run');
    writeSyntheticRunDir(dir);
    const r = await cli('report', dir, '--json', '--field-grid', '31x19', '--iterates', '0');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.report).toBe(path.join(dir, 'report.html'));
    expect(j.figures).toBe(7);
    expect(fs.statSync(j.report).size).toBe(j.bytes);
  });

  test('report <run-dir> --operator default adds the operator curves; a bad model directory is one line', async () => {
    const dir = path.join(tmp, 'run-op');
    writeSyntheticRunDir(dir);
    // the same report without and with the operator: the count of "operator" in the file grows
    const operatorMentions = async (file: string, ...extra: string[]) => {
      const r = await cli(
        'report',
        dir,
        '--json',
        '--field-grid',
        '31x19',
        '--iterates',
        '0',
        ...extra,
        '--out',
        file,
      );
      expect(r.code).toBe(0);
      return (fs.readFileSync(file, 'utf8').match(/operator/g) ?? []).length;
    };
    const plain = await operatorMentions(path.join(dir, 'a.html'));
    expect(await operatorMentions(path.join(dir, 'b.html'), '--operator', 'default')).toBeGreaterThan(plain);
    const bad = await cli('report', dir, '--operator', path.join(tmp, 'no-model'));
    expect(bad.code).toBe(1);
    expect(bad.err.trim().split('\n')).toHaveLength(1);
  });
});
