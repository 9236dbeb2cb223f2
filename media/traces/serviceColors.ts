// A service's colour: a stable hash of its name into a palette that traces.css defines per theme
// kind (light, dark, high contrast), so a service keeps its colour across traces and sessions.
export const paletteSize = 12;

/** FNV-1a over the UTF-16 code units: cheap, stable, and spreads similar names apart. */
export function serviceColorIndex(service: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < service.length; i++) {
    hash ^= service.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % paletteSize;
}

export function serviceColorClass(service: string): string {
  return `svc-${serviceColorIndex(service)}`;
}
