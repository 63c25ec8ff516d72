// Package chaos injects faults into a running manager binary on the real
// control plane and checks the delivery guarantees (README "Guarantees"):
// kill -9 under load and leader failover. Its tests build only with
// `-tags chaos`: run them with `make chaos` (CHAOS_KILLS and
// CHAOS_PROGRAMS size the kill test), which CI runs after `make test`.
package chaos
