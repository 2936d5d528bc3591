// Imported first by the runner, before any handler: the X-Ray SDK (loaded by Powertools Tracer, inert here) would
// otherwise start its automatic mode, an async hook on every promise that costs the simulation about a tenth of its
// CPU. Manual mode only skips that hook; tracing is off outside Lambda either way.
process.env.AWS_XRAY_MANUAL_MODE ??= '1';
