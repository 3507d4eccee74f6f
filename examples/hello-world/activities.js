export async function greet(name) {
  return `Hello, ${name}!`;
}
