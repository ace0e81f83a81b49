@description('Azure region for all resources.')
param location string

@description('Tags for every resource (azd-env-name).')
param tags object

@minLength(13)
@maxLength(13)
@description('uniqueString() of subscription, environment and location; makes global names (registry) unique.')
param token string

@description('Object id of the principal running azd; empty skips its cluster role assignments.')
param principalId string

@description('Kubernetes namespace of the workloads; part of each federated subject.')
param k8sNamespace string

@description('User-assigned identity of RoleViewer.Api.')
param apiIdentityName string

@description('Kubernetes service account of RoleViewer.Api.')
param apiServiceAccount string

@description('User-assigned identity of RoleViewer.Web (telemetry only).')
param webIdentityName string

@description('Kubernetes service account of RoleViewer.Web.')
param webServiceAccount string

// Built-in roles: https://learn.microsoft.com/azure/role-based-access-control/built-in-roles
var acrPullRoleId = subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '7f951dda-4ed3-4680-a7ca-43fe172d538d')
var metricsPublisherRoleId = subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '3913510d-42f4-4e42-8a64-420c390055eb')
var clusterUserRoleId = subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '4abbcc35-e782-43d8-92c5-2d3f1bd2253f')
var clusterRbacAdminRoleId = subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b')
var tokenExchangeAudience = 'api://AzureADTokenExchange'

resource logs 'Microsoft.OperationalInsights/workspaces@2025-07-01' = {
  name: 'log-${token}'
  location: location
  tags: tags
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: 30
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: 'appi-${token}'
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logs.id
    // Ingestion only with an Entra token: the connection string alone is not enough to send telemetry.
    DisableLocalAuth: true
  }
}

resource registry 'Microsoft.ContainerRegistry/registries@2025-11-01' = {
  name: 'cr${token}'
  location: location
  tags: tags
  sku: {
    name: 'Basic'
  }
  properties: {
    adminUserEnabled: false
    anonymousPullEnabled: false
  }
}

resource aks 'Microsoft.ContainerService/managedClusters@2026-08-01' = {
  name: 'aks-${token}'
  location: location
  tags: tags
  identity: {
    type: 'SystemAssigned'
  }
  sku: {
    name: 'Base'
    tier: 'Free'
  }
  properties: {
    dnsPrefix: 'aks-${token}'
    // Sign-in with Entra only, authorised by Azure RBAC: no static admin kubeconfig exists to leak.
    // azd then converts the kubeconfig with kubelogin (README: Prerequisites).
    aadProfile: {
      managed: true
      enableAzureRBAC: true
    }
    disableLocalAccounts: true
    // Cilium enforces the NetworkPolicies generated with the manifests; overlay keeps pod IPs out of any VNet range.
    networkProfile: {
      networkPlugin: 'azure'
      networkPluginMode: 'overlay'
      networkDataplane: 'cilium'
      networkPolicy: 'cilium'
    }
    // Security patches without anyone watching: Kubernetes patch releases and node images upgrade automatically.
    autoUpgradeProfile: {
      upgradeChannel: 'patch'
      nodeOSUpgradeChannel: 'NodeImage'
    }
    agentPoolProfiles: [
      {
        name: 'system'
        mode: 'System'
        count: 2
        vmSize: 'Standard_D2s_v5'
        osType: 'Linux'
        osSKU: 'AzureLinux'
      }
    ]
    // Workload identity is GA: no preview feature flag, no Helm-installed webhook.
    oidcIssuerProfile: {
      enabled: true
    }
    securityProfile: {
      workloadIdentity: {
        enabled: true
      }
    }
    addonProfiles: {
      omsagent: {
        enabled: true
        config: {
          logAnalyticsWorkspaceResourceID: logs.id
          useAADAuth: 'true'
        }
      }
    }
  }
}

// Container Insights with Entra authentication collects through this rule (the add-on alone sends nothing).
resource containerInsightsRule 'Microsoft.Insights/dataCollectionRules@2024-03-11' = {
  name: 'MSCI-${location}-${aks.name}'
  location: location
  tags: tags
  kind: 'Linux'
  properties: {
    dataSources: {
      extensions: [
        {
          name: 'ContainerInsightsExtension'
          extensionName: 'ContainerInsights'
          streams: [
            'Microsoft-ContainerInsights-Group-Default'
          ]
          extensionSettings: {
            dataCollectionSettings: {
              interval: '1m'
              namespaceFilteringMode: 'Off'
              enableContainerLogV2: true
            }
          }
        }
      ]
    }
    destinations: {
      logAnalytics: [
        {
          name: 'workspace'
          workspaceResourceId: logs.id
        }
      ]
    }
    dataFlows: [
      {
        streams: [
          'Microsoft-ContainerInsights-Group-Default'
        ]
        destinations: [
          'workspace'
        ]
      }
    ]
  }
}

resource containerInsightsAssociation 'Microsoft.Insights/dataCollectionRuleAssociations@2024-03-11' = {
  name: 'ContainerInsightsExtension'
  scope: aks
  properties: {
    dataCollectionRuleId: containerInsightsRule.id
  }
}

// azd fetches cluster user credentials (Cluster User Role) and applies the manifests as this principal
// (RBAC Cluster Admin: the manifests create a namespace and its NetworkPolicies).
resource deployerClusterUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(principalId)) {
  scope: aks
  name: guid(aks.id, principalId, clusterUserRoleId)
  properties: {
    principalId: principalId
    roleDefinitionId: clusterUserRoleId
  }
}

resource deployerClusterAdmin 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(principalId)) {
  scope: aks
  name: guid(aks.id, principalId, clusterRbacAdminRoleId)
  properties: {
    principalId: principalId
    roleDefinitionId: clusterRbacAdminRoleId
  }
}

resource apiIdentity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: apiIdentityName
  location: location
  tags: tags
}

// Web calls no Azure API, but Application Insights refuses key-based ingestion, so it needs an identity for telemetry.
resource webIdentity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: webIdentityName
  location: location
  tags: tags
}

resource apiFederation 'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials@2024-11-30' = {
  parent: apiIdentity
  name: 'aks-${apiServiceAccount}'
  properties: {
    issuer: aks.properties.oidcIssuerProfile.issuerURL
    subject: 'system:serviceaccount:${k8sNamespace}:${apiServiceAccount}'
    audiences: [
      tokenExchangeAudience
    ]
  }
}

// Federated credential writes are serialised: concurrent writes conflict (409) in Entra.
resource webFederation 'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials@2024-11-30' = {
  parent: webIdentity
  name: 'aks-${webServiceAccount}'
  properties: {
    issuer: aks.properties.oidcIssuerProfile.issuerURL
    subject: 'system:serviceaccount:${k8sNamespace}:${webServiceAccount}'
    audiences: [
      tokenExchangeAudience
    ]
  }
  dependsOn: [
    apiFederation
  ]
}

// Assignments to principals that exist only at run time live in a module, so each is named from its principalId.
module workloadAccess 'workload-access.bicep' = {
  name: 'workload-access'
  params: {
    registryName: registry.name
    appInsightsName: appInsights.name
    kubeletPrincipalId: aks.properties.identityProfile.kubeletidentity.objectId
    apiPrincipalId: apiIdentity.properties.principalId
    webPrincipalId: webIdentity.properties.principalId
    acrPullRoleId: acrPullRoleId
    metricsPublisherRoleId: metricsPublisherRoleId
  }
}

output aksName string = aks.name
output oidcIssuerUrl string = aks.properties.oidcIssuerProfile.issuerURL
output registryLoginServer string = registry.properties.loginServer
output apiPrincipalId string = apiIdentity.properties.principalId
output apiClientId string = apiIdentity.properties.clientId
output webClientId string = webIdentity.properties.clientId
output appInsightsConnectionString string = appInsights.properties.ConnectionString
