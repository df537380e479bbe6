"""Pure rules of the notifications service: who hears about what, signatures, retries."""
