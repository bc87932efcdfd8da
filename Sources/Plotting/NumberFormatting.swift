// `NumberFormat` (tick labels, annotations) lives in Support, shared with lesson output and reports;
// re-exported so that code importing Plotting keeps calling it as before.
@_exported import Support
