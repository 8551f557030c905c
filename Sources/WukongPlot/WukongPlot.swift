// WukongPlot: placeholder until its first file lands.
