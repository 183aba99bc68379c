# Regenerate: cd charts && gnuplot calls-sweep-storm-fentry.gp
if (!exists("outfile")) outfile = "calls-sweep-storm-fentry.png"
set terminal pngcairo size 960,540 font "sans,11" noenhanced
set output outfile
set grid ytics
set key below
set title "ns per trigger over K at storm/fentry: means over rounds (points), fitted lines (slope = ns per call)"
set xlabel "K (handler calls per trigger)"
set ylabel "ns per trigger"
set key left top
plot  "calls-sweep-storm-fentry.dat" index 0 using 1:2 with points pt 7 lc 1 title "empty", 315.5330 + 2.61090*x with lines lc 1 notitle, \
     "calls-sweep-storm-fentry.dat" index 1 using 1:2 with points pt 7 lc 2 title "inline", 608.9050 + 289.29440*x with lines lc 2 notitle, \
     "calls-sweep-storm-fentry.dat" index 2 using 1:2 with points pt 7 lc 3 title "noinline", 698.0200 + 303.81650*x with lines lc 3 notitle, \
     "calls-sweep-storm-fentry.dat" index 3 using 1:2 with points pt 7 lc 4 title "linked", 728.4750 + 299.19060*x with lines lc 4 notitle
