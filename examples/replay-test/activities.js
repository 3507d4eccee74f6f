export async function charge(amount) {
  return amount;
}
