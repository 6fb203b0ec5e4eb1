/** The BullMQ queue sweeps put their batches on, and the Redis hash where running sweeps say what their workers must see. */
export const SWEEP_QUEUE = 'sessionflow-sweep';
export const SWEEPS_HASH = 'sessionflow:sweeps';
