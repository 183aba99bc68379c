# Regenerate: cd charts && gnuplot calls-mech.gp
if (!exists("outfile")) outfile = "calls-mech.png"
set terminal pngcairo size 960,540 font "sans,11" noenhanced
set output outfile
set grid ytics
set key below
set style data histograms
set style fill solid 0.85 border -1
set style histogram errorbars gap 1 lw 1
set title "Extra ns per handler call against inlining (mean, 95% CI; linear scale)"
set ylabel "ns per call"
set xzeroaxis lt -1
plot "calls-mech.dat" using 2:3:4:xtic(1) title "synthetic at tp_btf", \
     "calls-mech.dat" using 5:6:7 title "storm at tp_btf", \
     "calls-mech.dat" using 8:9:10 title "storm at tracepoint"
