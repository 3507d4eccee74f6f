export const reports = [];
export async function report(workflowId) {
  reports.push(workflowId);
  return `report from ${workflowId}`;
}
