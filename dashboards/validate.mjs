// Validates every dashboard in this directory against Grafana's own model, as published in the npm package
// @grafana/schema (version pinned by package-lock.json). JSON schemas are generated here, at each run, from its
// TypeScript types, so a Grafana upgrade re-checks the dashboards against the new model:
//  - the whole file against the `Dashboard` type (raw/dashboard/x), closed: an unknown key anywhere is an error;
//  - each panel's `options` and `fieldConfig.defaults.custom` against the `Options` and `FieldConfig` types of
//    its panel plugin (raw/composable/<type>/panelcfg/x). Grafana fills options a dashboard leaves out with the
//    plugin's defaults, so there only names and types are checked, not presence;
//  - `schemaVersion` equal to the one Grafana's own defaults carry, so the files never lag behind.
// Usage: node validate.mjs [DIR] [--print-schema]   DIR defaults to this directory. Exit 0 when every dashboard
// is valid, 1 otherwise (the errors on stdout).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { createGenerator } from 'ts-json-schema-generator';
import Ajv from 'ajv';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const grafanaSchema = dirname(require.resolve('@grafana/schema/package.json'));
const rawTypes = join(grafanaSchema, 'dist/types/raw');
const ajv = new Ajv({ allErrors: true, strict: false });

function generate(path, type) {
  // additionalProperties false: a misspelt or invented key is an error wherever the model is closed.
  return createGenerator({ path, type, skipTypeCheck: true, additionalProperties: false }).createSchema(type);
}

function withoutRequired(schema) {
  if (Array.isArray(schema)) {
    return schema.map(withoutRequired);
  }
  if (schema === null || typeof schema !== 'object') {
    return schema;
  }
  return Object.fromEntries(Object.entries(schema).filter(([k]) => k !== 'required').map(([k, v]) => [k, withoutRequired(v)]));
}

const dashboardSchema = generate(join(rawTypes, 'dashboard/x/types.gen.d.ts'), 'Dashboard');
if (process.argv.includes('--print-schema')) {
  console.log(JSON.stringify(dashboardSchema, null, 2));
  process.exit(0);
}
const validateDashboard = ajv.compile(dashboardSchema);
const { defaultDashboard } = await import(join(grafanaSchema, 'dist/esm/raw/dashboard/x/types.gen.mjs'));
const currentSchemaVersion = defaultDashboard.schemaVersion;

const panelValidators = new Map();
function panelValidator(type) {
  if (!panelValidators.has(type)) {
    const file = join(rawTypes, 'composable', type, 'panelcfg/x/types.gen.d.ts');
    if (!/^[a-z0-9-]+$/.test(type) || !existsSync(file)) {
      panelValidators.set(type, null);
    } else {
      const exported = readFileSync(file, 'utf8');
      const compile = (name) => (new RegExp(`export interface ${name}\\b`).test(exported)
        ? ajv.compile(withoutRequired(generate(file, name))) : null);
      panelValidators.set(type, { options: compile('Options'), custom: compile('FieldConfig') });
    }
  }
  return panelValidators.get(type);
}

function errors(validate, value, at) {
  return validate(value) ? [] : validate.errors.map((e) => `${at}${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
}

function panelProblems(panel, at) {
  if (panel.type === 'row') {
    return (panel.panels ?? []).flatMap((p, i) => panelProblems(p, `${at}/panels/${i}`));
  }
  const validators = panelValidator(panel.type);
  if (validators === null) {
    return [`${at}/type "${panel.type}" has no panel model (raw/composable/<type>/panelcfg) in @grafana/schema`];
  }
  const problems = [];
  if (validators.options) {
    problems.push(...errors(validators.options, panel.options ?? {}, `${at}/options`));
  }
  if (validators.custom) {
    problems.push(...errors(validators.custom, panel.fieldConfig?.defaults?.custom ?? {}, `${at}/fieldConfig/defaults/custom`));
  }
  return problems;
}

const dir = process.argv.slice(2).find((a) => !a.startsWith('--')) ?? here;
const files = readdirSync(dir).filter((f) => f.endsWith('.json') && !f.startsWith('package')).sort();
let failed = files.length === 0;
if (failed) {
  console.log(`no dashboards found in ${dir}`);
}
for (const file of files) {
  const dashboard = JSON.parse(readFileSync(join(dir, file), 'utf8'));
  const problems = errors(validateDashboard, dashboard, '');
  (dashboard.panels ?? []).forEach((panel, i) => problems.push(...panelProblems(panel, `/panels/${i}`)));
  if (dashboard.schemaVersion !== currentSchemaVersion) {
    problems.push(`/schemaVersion is ${dashboard.schemaVersion}; @grafana/schema's current version is ${currentSchemaVersion}`);
  }
  if (problems.length > 0) {
    failed = true;
    console.log(`${file}: INVALID against @grafana/schema`);
    problems.forEach((p) => console.log(`  ${p}`));
  } else {
    console.log(`${file}: valid against @grafana/schema (Dashboard, panel options, schemaVersion ${currentSchemaVersion})`);
  }
}
process.exit(failed ? 1 : 0);
