export async function cityPart(..._a: unknown[]) {}
