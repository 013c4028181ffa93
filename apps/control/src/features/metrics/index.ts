export { downsampleMetrics, startDownsampler } from './downsample';
export { liveSamples } from './live';
export { type MetricsPoller, type MetricsPollerOptions, startMetricsPoller } from './poller';
export { fleetMetrics, instanceMetrics, serverMetrics } from './queries';
