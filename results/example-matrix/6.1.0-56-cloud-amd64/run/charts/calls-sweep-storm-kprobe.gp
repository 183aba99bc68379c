# Regenerate: cd charts && gnuplot calls-sweep-storm-kprobe.gp
if (!exists("outfile")) outfile = "calls-sweep-storm-kprobe.png"
set terminal pngcairo size 960,540 font "sans,11" noenhanced
set output outfile
set grid ytics
set key below
set title "ns per trigger over K at storm/kprobe: means over rounds (points), fitted lines (slope = ns per call)"
set xlabel "K (handler calls per trigger)"
set ylabel "ns per trigger"
set key left top
plot  "calls-sweep-storm-kprobe.dat" index 0 using 1:2 with points pt 7 lc 1 title "empty", 329.5240 + 3.17190*x with lines lc 1 notitle, \
     "calls-sweep-storm-kprobe.dat" index 1 using 1:2 with points pt 7 lc 2 title "inline", 669.0050 + 284.77610*x with lines lc 2 notitle, \
     "calls-sweep-storm-kprobe.dat" index 2 using 1:2 with points pt 7 lc 3 title "noinline", 689.4370 + 324.52350*x with lines lc 3 notitle, \
     "calls-sweep-storm-kprobe.dat" index 3 using 1:2 with points pt 7 lc 4 title "linked", 778.2740 + 298.80650*x with lines lc 4 notitle, \
     "calls-sweep-storm-kprobe.dat" index 4 using 1:2 with points pt 7 lc 5 title "freplace", 806.8440 + 303.17380*x with lines lc 5 notitle, \
     "calls-sweep-storm-kprobe.dat" index 5 using 1:2 with points pt 7 lc 6 title "tailcall", 796.1090 + 322.01250*x with lines lc 6 notitle
