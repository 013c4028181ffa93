import type { InstanceStatus } from '@ordo/protocol';
import type { Tone } from '../../components/tone';

export function describeInstanceStatus(status: InstanceStatus): { label: string; tone: Tone } {
  switch (status) {
    case 'running':
      return { label: 'Running', tone: 'success' };
    case 'stopped':
      return { label: 'Stopped', tone: 'neutral' };
    case 'provisioning':
      return { label: 'In progress', tone: 'info' };
    case 'error':
      return { label: 'Error', tone: 'danger' };
  }
}

export function capitalize(value: string): string {
  return value.charAt(0).toUpperCase() + value.slice(1);
}
