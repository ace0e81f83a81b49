// Drives every operation of @azure/arm-authorization 9's roleAssignments and roleDefinitions groups, and
// @azure/arm-resources-subscriptions 3's subscriptions and tenants, against the emulator, signed in with
// @azure/identity's ClientSecretCredential (authority = the emulator). Scopes are given both with and without a
// leading slash, as users do. Argv: origin, tenant id, operator client id, its secret, subscription id, app object id.
// Trust comes from NODE_EXTRA_CA_CERTS. Prints one JSON line with what it saw.
import { createRequire } from "node:module";
import { randomUUID } from "node:crypto";

const require = createRequire(process.env.NODE_PEERS_DIRECTORY + "/package.json");
const { AuthorizationManagementClient } = require("@azure/arm-authorization");
const { SubscriptionClient } = require("@azure/arm-resources-subscriptions");
const { ClientSecretCredential } = require("@azure/identity");

const [origin, tenantId, operatorClientId, operatorSecret, subscriptionId, appObjectId] = process.argv.slice(2);
const credential = new ClientSecretCredential(tenantId, operatorClientId, operatorSecret, { authorityHost: origin, disableInstanceDiscovery: true });
const options = { endpoint: origin, credentialScopes: ["https://management.azure.com/.default"] };
const client = new AuthorizationManagementClient(credential, subscriptionId, options);
const subscriptions = new SubscriptionClient(credential, { endpoint: origin, credentials: { scopes: ["https://management.azure.com/.default"] } });

const scope = `subscriptions/${subscriptionId}`;
const slashScope = `/${scope}`;
const readerId = `/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7`;
const all = async (iterator) => { const items = []; for await (const item of iterator) items.push(item); return items; };
const codeOf = async (call) => { try { await call(); return "none"; } catch (e) { return e.code; } };

try {
  const seen = {};

  // roleAssignments: the four listings, with paging.
  const pages = [];
  for await (const page of client.roleAssignments.listForScope(scope).byPage()) {
    pages.push(page.length);
  }
  seen.pages = pages;
  seen.listForSubscription = (await all(client.roleAssignments.listForSubscription())).length;
  seen.listForResourceGroup = (await all(client.roleAssignments.listForResourceGroup("rg-roleviewer"))).map((a) => a.name);
  seen.listForResource = (await all(client.roleAssignments.listForResource("rg-roleviewer", "Microsoft.Insights", "components", "appi-roleviewer"))).map((a) => a.name);

  // The natural next call after a listing: each assignment's role definition, by the id the assignment carries.
  const mine = await all(client.roleAssignments.listForScope(slashScope, { filter: `assignedTo('${appObjectId}')` }));
  seen.roleNamesById = (await Promise.all(mine.map((a) => client.roleDefinitions.getById(a.roleDefinitionId)))).map((d) => d.roleName).sort();

  // create / get / delete, with and without a leading slash; then the ById variants.
  const name = randomUUID();
  const rgScope = `${scope}/resourceGroups/rg-node`;
  const created = await client.roleAssignments.create(rgScope, name, { roleDefinitionId: readerId, principalId: appObjectId, principalType: "ServicePrincipal" });
  seen.created = { name: created.name, scope: created.scope, principalType: created.principalType, createdOnIsDate: created.createdOn instanceof Date };
  seen.fetchedWithSlash = (await client.roleAssignments.get(`/${rgScope}`, name)).name;
  seen.fetchedById = (await client.roleAssignments.getById(created.id)).name;
  seen.deletedName = (await client.roleAssignments.delete(`/${rgScope}`, name))?.name;
  seen.afterDelete = await codeOf(() => client.roleAssignments.get(rgScope, name));

  const byIdName = randomUUID();
  const byId = `/${scope}/resourceGroups/rg-node-byid/providers/Microsoft.Authorization/roleAssignments/${byIdName}`;
  const createdById = await client.roleAssignments.createById(byId, { roleDefinitionId: readerId, principalId: appObjectId, principalType: "ServicePrincipal" });
  seen.createdById = createdById.name === byIdName;
  seen.deletedById = (await client.roleAssignments.deleteById(byId))?.name === byIdName;
  seen.afterDeleteById = await codeOf(() => client.roleAssignments.getById(byId));

  // roleDefinitions: get, list with a filter, and a custom role's whole life.
  const reader = await client.roleDefinitions.get(scope, "acdd72a7-3385-48ef-bd42-f606fba81ae7");
  seen.reader = { roleName: reader.roleName, actions: reader.permissions[0].actions, createdOnIsString: typeof reader.createdOn, updatedOn: reader.updatedOn !== undefined };
  seen.byName = (await all(client.roleDefinitions.list(slashScope, { filter: "roleName eq 'RoleViewer Reader'" }))).map((d) => d.roleName);
  const roleId = randomUUID();
  const custom = await client.roleDefinitions.createOrUpdate(scope, roleId, {
    roleName: `Node custom ${roleId}`,
    description: "made by arm-authorization.mjs",
    roleType: "CustomRole",
    permissions: [{ actions: ["Microsoft.Authorization/*/read"], notActions: [] }],
    assignableScopes: [slashScope],
  });
  seen.custom = { roleName: custom.roleName, roleType: custom.roleType, id: custom.id };
  seen.customListed = (await all(client.roleDefinitions.list(scope, { filter: "type eq 'CustomRole'" }))).some((d) => d.name === roleId);
  seen.customDeleted = (await client.roleDefinitions.delete(slashScope, roleId))?.name === roleId;
  seen.afterCustomDelete = await codeOf(() => client.roleDefinitions.get(scope, roleId));

  // subscriptions and tenants.
  seen.subscriptions = (await all(subscriptions.subscriptions.list())).map((s) => ({ id: s.subscriptionId, state: s.state, tenantId: s.tenantId }));
  seen.subscription = (await subscriptions.subscriptions.get(subscriptionId)).displayName;
  seen.tenants = (await all(subscriptions.tenants.list())).map((t) => t.tenantId);

  console.log(JSON.stringify(seen));
} catch (e) {
  console.log(JSON.stringify({ error: `${e.name}: ${e.code ?? ""} ${e.statusCode ?? ""} ${e.message} ${e.request?.url ?? ""}` }));
  process.exitCode = 1;
}
