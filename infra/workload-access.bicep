@description('Registry the kubelet pulls the images from.')
param registryName string

@description('Application Insights the workloads send telemetry to.')
param appInsightsName string

@description('Object id of the cluster\'s kubelet identity.')
param kubeletPrincipalId string

@description('Object id of RoleViewer.Api\'s identity (sends telemetry).')
param apiPrincipalId string

@description('Object id of RoleViewer.Web\'s identity (sends telemetry).')
param webPrincipalId string

param acrPullRoleId string

param metricsPublisherRoleId string

resource registry 'Microsoft.ContainerRegistry/registries@2025-11-01' existing = {
  name: registryName
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: appInsightsName
}

// Every name comes from the principal it grants: a recreated identity gets a new assignment
// instead of RoleAssignmentUpdateNotPermitted on the old one.
resource kubeletAcrPull 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: registry
  name: guid(registry.id, kubeletPrincipalId, acrPullRoleId)
  properties: {
    principalId: kubeletPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: acrPullRoleId
  }
}

// Application Insights has local auth disabled: ingestion needs an Entra token from a Monitoring Metrics Publisher.
resource apiMetricsPublisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: appInsights
  name: guid(appInsights.id, apiPrincipalId, metricsPublisherRoleId)
  properties: {
    principalId: apiPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: metricsPublisherRoleId
  }
}

resource webMetricsPublisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: appInsights
  name: guid(appInsights.id, webPrincipalId, metricsPublisherRoleId)
  properties: {
    principalId: webPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: metricsPublisherRoleId
  }
}
