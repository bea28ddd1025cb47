// Checks rendered Kubernetes manifests (`kubectl kustomize deploy/k8s`) offline: every object
// against the schema of its kind, the Kubernetes API's own for built-in kinds, the operators'
// for Strimzi, CloudNativePG, the Prometheus operator and the Keycloak operator. An object of a
// kind no schema here knows is an error too: nothing reaches a cluster unchecked.
//
//   node validate.mjs rendered.yaml   prints one line per object, exits 1 when any is invalid.
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";
import Ajv from "ajv";

// Where each API group's models live; the path under it is <group>/<version>/<Kind>.
const PACKAGES = {
  "": "kubernetes-models",
  "kafka.strimzi.io": "@kubernetes-models/strimzi-kafka-operator",
  "postgresql.cnpg.io": "@kubernetes-models/cloudnative-pg",
  "monitoring.coreos.com": "@kubernetes-models/prometheus-operator",
};
const BUILT_IN_GROUPS = new Set(["apps", "autoscaling", "policy", "batch", "networking.k8s.io", "rbac.authorization.k8s.io"]);

const ajv = new Ajv({ allErrors: true, strict: false });
const OWN_SCHEMAS = {
  "k8s.keycloak.org/v2alpha1/Keycloak": ajv.compile(JSON.parse(readFileSync(new URL("./keycloak-v2alpha1.schema.json", import.meta.url)))),
};

async function modelFor(apiVersion, kind) {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  const pkg = BUILT_IN_GROUPS.has(group) ? PACKAGES[""] : PACKAGES[group];
  if (!pkg) {
    return null;
  }
  const path = group === "" ? `${pkg}/${version}/${kind}` : `${pkg}/${group}/${version}/${kind}`;
  try {
    const module = await import(path);
    return module[kind] ?? null;
  } catch {
    return null;
  }
}

function describe(errors) {
  return errors.map((e) => `${e.instancePath || "/"} ${e.message}`).join("; ");
}

async function check(object) {
  const id = `${object.kind}/${object.metadata?.name}`;
  if (typeof object.apiVersion !== "string" || typeof object.kind !== "string") {
    return { id, error: "apiVersion and kind are required" };
  }
  const own = OWN_SCHEMAS[`${object.apiVersion}/${object.kind}`];
  if (own) {
    return own(object) ? { id } : { id, error: describe(own.errors) };
  }
  const Model = await modelFor(object.apiVersion, object.kind);
  if (!Model) {
    return { id, error: `no schema for ${object.apiVersion} ${object.kind}` };
  }
  try {
    new Model(object).validate();
    return { id };
  } catch (e) {
    return { id, error: String(e.message ?? e).replace(/\s+/g, " ") };
  }
}

const file = process.argv[2];
if (!file) {
  console.error("usage: node validate.mjs <rendered.yaml>");
  process.exit(2);
}
let invalid = 0;
let count = 0;
for (const doc of parseAllDocuments(readFileSync(file, "utf8"))) {
  if (doc.errors.length > 0) {
    console.log(`INVALID yaml: ${doc.errors.map((e) => e.message).join("; ")}`);
    invalid++;
    continue;
  }
  const object = doc.toJS();
  if (object == null) {
    continue;
  }
  count++;
  const result = await check(object);
  if (result.error) {
    invalid++;
    console.log(`INVALID ${result.id}: ${result.error}`);
  } else {
    console.log(`OK ${result.id}`);
  }
}
console.log(`${count} objects, ${invalid} invalid`);
process.exit(invalid === 0 ? 0 : 1);
