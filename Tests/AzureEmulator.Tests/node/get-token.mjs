// Gets an ARM token with @azure/identity's WorkloadIdentityCredential, configured only by the webhook's
// environment variables (AZURE_CLIENT_ID, AZURE_TENANT_ID, AZURE_FEDERATED_TOKEN_FILE, AZURE_AUTHORITY_HOST)
// and NODE_EXTRA_CA_CERTS. Prints {"token": "...", "expiresOnTimestamp": n} or {"error": "..."}; exit code 0/1.
import { WorkloadIdentityCredential } from "@azure/identity";

const credential = new WorkloadIdentityCredential({ disableInstanceDiscovery: true });
try {
  const first = await credential.getToken("https://management.azure.com/.default");
  // A second call must come from msal-node's cache (the test counts exchanges on the emulator).
  const second = await credential.getToken("https://management.azure.com/.default");
  console.log(JSON.stringify({ token: first.token, sameToken: first.token === second.token, expiresOnTimestamp: first.expiresOnTimestamp }));
} catch (e) {
  console.log(JSON.stringify({ error: `${e.name}: ${e.message}` }));
  process.exitCode = 1;
}
