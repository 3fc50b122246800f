#!/usr/bin/env bash
# A master SIGKILLed during prefill --cluster, its replica elected seconds
# later: it_cluster_failover.sh in its election mode (see there).
FAILOVER_MODE=election exec bash "$(dirname "$0")/it_cluster_failover.sh"
