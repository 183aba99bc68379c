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
plot  "calls-sweep-storm-kprobe.dat" index 0 using 1:2 with points pt 7 lc 1 title "empty", 175.4750 + 2.72040*x with lines lc 1 notitle, \
     "calls-sweep-storm-kprobe.dat" index 1 using 1:2 with points pt 7 lc 2 title "inline", 497.9990 + 268.27490*x with lines lc 2 notitle, \
     "calls-sweep-storm-kprobe.dat" index 2 using 1:2 with points pt 7 lc 3 title "noinline", 395.8150 + 302.45640*x with lines lc 3 notitle, \
     "calls-sweep-storm-kprobe.dat" index 3 using 1:2 with points pt 7 lc 4 title "linked", 433.2850 + 304.24740*x with lines lc 4 notitle, \
     "calls-sweep-storm-kprobe.dat" index 4 using 1:2 with points pt 7 lc 5 title "freplace", 347.2550 + 275.72710*x with lines lc 5 notitle, \
     "calls-sweep-storm-kprobe.dat" index 5 using 1:2 with points pt 7 lc 6 title "tailcall", 642.6350 + 301.58310*x with lines lc 6 notitle
