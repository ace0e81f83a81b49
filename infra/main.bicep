targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('Name of the azd environment (AZURE_ENV_NAME); names the resource group and seeds every resource name.')
param environmentName string

@minLength(1)
@description('Azure region for all resources (AZURE_LOCATION).')
param location string

@description('Object id of the principal running azd (AZURE_PRINCIPAL_ID); gets cluster user credentials so azd can deploy the manifests.')
param principalId string = ''

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
// The GUID comes from the subscription and the role name, because role names are unique per tenant:
// every environment in a subscription updates this one definition instead of failing on a duplicate.
resource roleViewerReader 'Microsoft.Authorization/roleDefinitions@2022-04-01' = {
  name: guid(subscription().id, 'RoleViewer Reader')
  properties: {
    roleName: 'RoleViewer Reader'
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

// Only supplies an id known at deployment start for the assignment's name; the module creates the identity.
resource apiIdentity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' existing = {
  scope: rg
  name: apiIdentityName
}

resource apiReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(subscription().id, apiIdentity.id, roleViewerReader.id)
  properties: {
    principalId: resources.outputs.apiPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: roleViewerReader.id
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
