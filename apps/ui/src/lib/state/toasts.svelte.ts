export type ToastKind = 'success' | 'error' | 'info';

export interface Toast {
  id: number;
  kind: ToastKind;
  message: string;
}

const VISIBLE_MS = { success: 4000, info: 4000, error: 8000 } satisfies Record<ToastKind, number>;

class ToastManager {
  toasts = $state<Toast[]>([]);
  #nextId = 1;

  show(kind: ToastKind, message: string): void {
    const id = this.#nextId++;
    this.toasts.push({ id, kind, message });
    setTimeout(() => this.dismiss(id), VISIBLE_MS[kind]);
  }

  dismiss(id: number): void {
    this.toasts = this.toasts.filter((toast) => toast.id !== id);
  }
}

export const toastManager = new ToastManager();
