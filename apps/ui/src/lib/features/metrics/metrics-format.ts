const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'] as const;

/** 1536 → "1.5 KB"; binary multiples, as `free` and `df -h` show them. */
export function formatBytes(bytes: number): string {
  let value = Math.max(0, bytes);
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  return `${value.toFixed(digits)} ${UNITS[unit] ?? 'B'}`;
}

/** Whole megabytes, the unit the admin guide uses for instance memory. */
export function formatMegabytes(bytes: number): string {
  return `${Math.round(Math.max(0, bytes) / (1024 * 1024))} MB`;
}

/** Share of `used` in `total`, 0–100, rounded; 0 when the total is unknown. */
export function percentOf(used: number, total: number): number {
  if (total <= 0) return 0;
  return Math.min(100, Math.max(0, Math.round((used / total) * 100)));
}

export function formatPercent(value: number): string {
  return `${Math.round(value)} %`;
}

/** 93784 → "1 d 2 h"; the two largest units are enough to tell a reboot. */
export function formatUptime(seconds: number): string {
  const total = Math.max(0, Math.floor(seconds));
  const days = Math.floor(total / 86_400);
  const hours = Math.floor((total % 86_400) / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  if (days > 0) return `${days} d ${hours} h`;
  if (hours > 0) return `${hours} h ${minutes} min`;
  if (minutes > 0) return `${minutes} min`;
  return `${total} s`;
}

export function formatLoad(load: readonly [number, number, number]): string {
  return load.map((value) => value.toFixed(2)).join(' / ');
}

/** "12 s ago" style age of a sample; the clock is passed in so tests and ticks agree. */
export function formatAge(at: string, now: Date): string {
  const seconds = Math.max(0, Math.round((now.getTime() - new Date(at).getTime()) / 1000));
  if (seconds < 60) return `${seconds} s ago`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  return `${Math.floor(minutes / 60)} h ago`;
}
