package app

// Probe is the probe of ProbeRequestCache with another field selector.
var Probe = probe
