targetScope = 'subscription'

@description('Object id of the principal to grant the role to.')
param principalId string

@description('Resource id of the role definition.')
param roleDefinitionId string

@description('Says which deployment made the assignment, so a leftover can be traced in the portal.')
param assignmentDescription string

// Named from the principal it grants: a recreated identity gets a new assignment instead of
// RoleAssignmentUpdateNotPermitted on the old one. A module parameter is known when this deployment starts (BCP120).
resource assignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(subscription().id, principalId, roleDefinitionId)
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: roleDefinitionId
    description: assignmentDescription
  }
}

output id string = assignment.id
