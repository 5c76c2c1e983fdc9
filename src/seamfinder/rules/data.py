"""SF2xx: data ownership across component boundaries."""
