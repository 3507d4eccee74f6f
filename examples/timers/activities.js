export const sent = [];
export async function notify(message) {
  sent.push(message);
}
