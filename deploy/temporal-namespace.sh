#!/bin/sh
# The namespace the service uses, with how long closed cases stay visible in the Temporal UI. Idempotent.
set -eu
ADDRESS=${TEMPORAL_ADDRESS:-temporal:7233}
NAMESPACE=${TEMPORAL_NAMESPACE:-default}
attempt=0
until temporal operator cluster health --address "$ADDRESS"; do
    attempt=$((attempt + 1))
    [ "$attempt" -lt 30 ] || { echo "Temporal at $ADDRESS is not healthy"; exit 1; }
    sleep 5
done
if temporal operator namespace describe -n "$NAMESPACE" --address "$ADDRESS" >/dev/null 2>&1; then
    echo "namespace $NAMESPACE exists"
else
    temporal operator namespace create -n "$NAMESPACE" --retention "${NAMESPACE_RETENTION:-720h}" --address "$ADDRESS"
fi
