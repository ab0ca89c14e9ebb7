// Validates every dashboard in this directory against Grafana's own dashboard model: the JSON schema is
// generated here, at each run, from the `Dashboard` TypeScript type that @grafana/schema publishes, so a
// Grafana upgrade (a new package version in package-lock.json) re-checks the dashboards against the new model.
// Also requires the schemaVersion Grafana's defaults carry, so the files never lag behind the package.
// Usage: node validate.mjs [DIR] [--print-schema]   DIR defaults to this directory. Exit 0 when every dashboard
// is valid, 1 otherwise (the errors on stdout).
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { createGenerator } from 'ts-json-schema-generator';
import Ajv from 'ajv';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const grafanaSchema = dirname(require.resolve('@grafana/schema/package.json'));
const typesFile = join(grafanaSchema, 'dist/types/raw/dashboard/x/types.gen.d.ts');
const defaultsFile = join(grafanaSchema, 'dist/esm/raw/dashboard/x/types.gen.mjs');

// additionalProperties false: a misspelt or invented key anywhere the model is closed is an error.
const schema = createGenerator({ path: typesFile, type: 'Dashboard', skipTypeCheck: true, additionalProperties: false })
  .createSchema('Dashboard');
if (process.argv.includes('--print-schema')) {
  console.log(JSON.stringify(schema, null, 2));
  process.exit(0);
}
const { defaultDashboard } = await import(defaultsFile);
const currentSchemaVersion = defaultDashboard.schemaVersion;

const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
const dir = process.argv.slice(2).find((a) => !a.startsWith('--')) ?? here;
const files = readdirSync(dir).filter((f) => f.endsWith('.json') && !f.startsWith('package')).sort();
let failed = files.length === 0;
if (failed) {
  console.log(`no dashboards found in ${dir}`);
}
for (const file of files) {
  const dashboard = JSON.parse(readFileSync(join(dir, file), 'utf8'));
  const problems = [];
  if (!validate(dashboard)) {
    for (const e of validate.errors) {
      problems.push(`${e.instancePath || '/'} ${e.message}${e.params ? ' ' + JSON.stringify(e.params) : ''}`);
    }
  }
  if (dashboard.schemaVersion !== currentSchemaVersion) {
    problems.push(`/schemaVersion is ${dashboard.schemaVersion}; @grafana/schema's current version is ${currentSchemaVersion}`);
  }
  if (problems.length > 0) {
    failed = true;
    console.log(`${file}: INVALID against @grafana/schema Dashboard`);
    problems.forEach((p) => console.log(`  ${p}`));
  } else {
    console.log(`${file}: valid against @grafana/schema Dashboard (schemaVersion ${currentSchemaVersion})`);
  }
}
process.exit(failed ? 1 : 0);
