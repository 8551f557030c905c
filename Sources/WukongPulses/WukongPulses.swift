// WukongPulses: placeholder until its first file lands.
