// WukongGateSim: placeholder until its first file lands.
