"""Service modes (服务方式): what serves a person besides the purchase referral, one row per mode delivery."""
