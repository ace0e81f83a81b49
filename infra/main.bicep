targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('Name of the azd environment (AZURE_ENV_NAME); names the resource group and seeds every resource name.')
param environmentName string

@minLength(1)
@description('Azure region for all resources (AZURE_LOCATION).')
param location string

@description('Object id of the principal running azd (AZURE_PRINCIPAL_ID); may fetch cluster credentials and administer the cluster, so azd can apply the manifests.')
param principalId string = ''

// Not in main.parameters.json on purpose: azd asks for it on the first `azd up` and keeps the answer in the
// environment's config.json. The page shows tenant, subscription and principal ids, so it is closed by default.
@minLength(1)
@description('Address ranges (CIDR) allowed to open the RoleViewer page, as a JSON array, e.g. ["203.0.113.7/32"]. ["0.0.0.0/0"] opens it to the internet.')
param webAllowedSourceRanges array

// The generated manifests (AppHost/Deployment) use these names; the federated credentials must match them exactly.
var k8sNamespace = 'roleviewer'
var apiServiceAccount = 'roleviewer-api'
var webServiceAccount = 'roleviewer-web'

var token = toLower(uniqueString(subscription().id, environmentName, location))
var tags = { 'azd-env-name': environmentName }
var apiIdentityName = 'id-api-${token}'

resource rg 'Microsoft.Resources/resourceGroups@2025-04-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

module resources 'resources.bicep' = {
  name: 'resources'
  scope: rg
  params: {
    location: location
    tags: tags
    token: token
    principalId: principalId
    k8sNamespace: k8sNamespace
    apiIdentityName: apiIdentityName
    apiServiceAccount: apiServiceAccount
    webIdentityName: 'id-web-${token}'
    webServiceAccount: webServiceAccount
  }
}

// Least privilege for RoleViewer.Api: it only reads role assignments and the definitions they point to.
// Role names are unique per Entra tenant, so the subscription id is part of the name: a second subscription in the
// same tenant gets its own definition instead of failing with RoleDefinitionWithSameNameExists. The id comes from
// the subscription alone, so every environment in a subscription shares (and updates) one definition.
resource roleViewerReader 'Microsoft.Authorization/roleDefinitions@2022-04-01' = {
  name: guid(subscription().id, 'RoleViewer Reader')
  properties: {
    roleName: 'RoleViewer Reader (${subscription().subscriptionId})'
    description: 'Lets RoleViewer list role assignments and role definitions. Nothing else.'
    type: 'CustomRole'
    permissions: [
      {
        actions: [
          'Microsoft.Authorization/roleAssignments/read'
          'Microsoft.Authorization/roleDefinitions/read'
        ]
        notActions: []
      }
    ]
    assignableScopes: [
      subscription().id
    ]
  }
}

// A module, so the assignment's name can come from the identity's principalId (a runtime value): after
// `azd down` and `azd up` the identity is new, and so is the name (ARM refuses to re-point an assignment).
module apiReader 'subscription-role-assignment.bicep' = {
  name: 'api-reader'
  params: {
    principalId: resources.outputs.apiPrincipalId
    roleDefinitionId: roleViewerReader.id
    assignmentDescription: 'RoleViewer.Api of azd environment ${environmentName}'
  }
}

output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_SUBSCRIPTION_ID string = subscription().subscriptionId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_AKS_CLUSTER_NAME string = resources.outputs.aksName
output AZURE_AKS_OIDC_ISSUER_URL string = resources.outputs.oidcIssuerUrl
output AZURE_AKS_NAMESPACE string = k8sNamespace
output AZURE_CONTAINER_REGISTRY_ENDPOINT string = resources.outputs.registryLoginServer
output AZURE_API_IDENTITY_CLIENT_ID string = resources.outputs.apiClientId
output AZURE_WEB_IDENTITY_CLIENT_ID string = resources.outputs.webClientId
output AZURE_ROLEVIEWER_READER_ROLE_ID string = roleViewerReader.id
output APPLICATIONINSIGHTS_CONNECTION_STRING string = resources.outputs.appInsightsConnectionString
// The one subscription-scope object this environment alone owns; `azd down` keeps it (README: Remove).
output AZURE_API_READER_ASSIGNMENT_ID string = apiReader.outputs.id
// azd writes an array output to .env as compact JSON, which is a YAML flow sequence in the web Service manifest.
output AZURE_WEB_ALLOWED_SOURCE_RANGES array = webAllowedSourceRanges
