# Regenerate: cd charts && gnuplot overhead.gp
if (!exists("outfile")) outfile = "overhead.png"
set terminal pngcairo size 960,540 font "sans,11" noenhanced
set output outfile
set grid ytics
set key below
set style data histograms
set style fill solid 0.85 border -1
set yrange [0:*]
set title "Time per event at fentry (median, 95% CI from 10 rounds on)"
set ylabel "ns per event"
set style histogram errorbars gap 1 lw 1
plot "overhead.dat" using 2:3:4:xtic(1) title "none", \
     "overhead.dat" using 5:6:7 title "ringbuf-nowakeup", \
     "overhead.dat" using 8:9:10 title "ringbuf", \
     "overhead.dat" using 11:12:13 title "perfbuf"
