// WukongFFT: placeholder until its first file lands.
