// Reads a JSON array of Kubernetes objects on stdin and validates each against the Kubernetes OpenAPI schema
// bundled in kubernetes-models (types, required fields, enums, formats). Prints one line per problem and exits 1
// if there is any; an apiVersion/kind the package does not know is a problem too.
const objects = JSON.parse(await new Promise((resolve, reject) => {
  let text = "";
  process.stdin.setEncoding("utf8");
  process.stdin.on("data", (chunk) => (text += chunk));
  process.stdin.on("end", () => resolve(text));
  process.stdin.on("error", reject);
}));

const problems = [];
for (const [index, object] of objects.entries()) {
  const where = `#${index} ${object.kind}/${object.metadata?.name}`;
  const [group, version] = object.apiVersion.includes("/") ? object.apiVersion.split("/") : [null, object.apiVersion];
  let models;
  try {
    models = await import(group ? `kubernetes-models/${group}/${version}` : `kubernetes-models/${version}`);
  } catch {
    problems.push(`${where}: unknown apiVersion ${object.apiVersion}`);
    continue;
  }

  const Model = models[object.kind];
  if (typeof Model !== "function") {
    problems.push(`${where}: unknown kind ${object.kind} in ${object.apiVersion}`);
    continue;
  }

  try {
    new Model(object).validate();
  } catch (error) {
    problems.push(`${where}: ${error.message}`);
  }
}

for (const problem of problems) console.log(problem);
process.exit(problems.length === 0 ? 0 : 1);
