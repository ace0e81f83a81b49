// Drives @azure/arm-authorization 9 against the emulator: listForScope over several pages, get, create, delete,
// roleDefinitions.get and list. The token comes from the emulator's admin API (argv: origin, operator client id,
// subscription id, app object id; the admin key in EMULATOR_ADMIN_KEY); trust comes from NODE_EXTRA_CA_CERTS. Prints one JSON line with what it saw.
import { createRequire } from "node:module";
import { randomUUID } from "node:crypto";

const require = createRequire(process.env.NODE_PEERS_DIRECTORY + "/package.json");
const { AuthorizationManagementClient } = require("@azure/arm-authorization");

const [origin, operatorClientId, subscriptionId, appObjectId] = process.argv.slice(2);
const credential = {
  async getToken() {
    const response = await fetch(`${origin}/admin/tokens`, {
      method: "POST",
      headers: { "content-type": "application/json", "emulator-admin-key": process.env.EMULATOR_ADMIN_KEY },
      body: JSON.stringify({ clientId: operatorClientId, resource: "https://management.azure.com/" }),
    });
    const body = await response.json();
    return { token: body.access_token, expiresOnTimestamp: body.expires_on * 1000 };
  },
};

const client = new AuthorizationManagementClient(credential, subscriptionId, {
  endpoint: origin,
  credentialScopes: ["https://management.azure.com/.default"],
});
const scope = `subscriptions/${subscriptionId}`;
const readerId = `/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7`;

try {
  const pages = [];
  for await (const page of client.roleAssignments.listForScope(scope).byPage()) {
    pages.push(page.length);
  }

  const name = randomUUID();
  const rgScope = `${scope}/resourceGroups/rg-node`;
  const created = await client.roleAssignments.create(rgScope, name, { roleDefinitionId: readerId, principalId: appObjectId, principalType: "ServicePrincipal" });
  const fetched = await client.roleAssignments.get(rgScope, name);
  const filtered = [];
  for await (const a of client.roleAssignments.listForScope(scope, { filter: `assignedTo('${appObjectId}')` })) {
    filtered.push(a.name);
  }
  const deleted = await client.roleAssignments.delete(rgScope, name);
  let afterDelete = "found";
  try {
    await client.roleAssignments.get(rgScope, name);
  } catch (e) {
    afterDelete = e.code;
  }

  const reader = await client.roleDefinitions.get(scope, "acdd72a7-3385-48ef-bd42-f606fba81ae7");
  const byName = [];
  for await (const d of client.roleDefinitions.list(scope, { filter: "roleName eq 'RoleViewer Reader'" })) {
    byName.push(d.roleName);
  }

  console.log(JSON.stringify({
    pages,
    created: { name: created.name, scope: created.scope, principalType: created.principalType, createdOnIsDate: created.createdOn instanceof Date },
    fetchedName: fetched.name,
    filteredContainsCreated: filtered.includes(name),
    deletedName: deleted?.name,
    afterDelete,
    readerRoleName: reader.roleName,
    readerActions: reader.permissions[0].actions,
    byName,
  }));
} catch (e) {
  console.log(JSON.stringify({ error: `${e.name}: ${e.code ?? ""} ${e.message}` }));
  process.exitCode = 1;
}
