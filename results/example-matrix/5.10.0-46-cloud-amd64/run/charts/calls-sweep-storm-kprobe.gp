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
plot  "calls-sweep-storm-kprobe.dat" index 0 using 1:2 with points pt 7 lc 1 title "empty", 354.8700 + 3.27380*x with lines lc 1 notitle, \
     "calls-sweep-storm-kprobe.dat" index 1 using 1:2 with points pt 7 lc 2 title "inline", 580.9210 + 278.08970*x with lines lc 2 notitle, \
     "calls-sweep-storm-kprobe.dat" index 2 using 1:2 with points pt 7 lc 3 title "noinline", 707.4930 + 295.25800*x with lines lc 3 notitle, \
     "calls-sweep-storm-kprobe.dat" index 3 using 1:2 with points pt 7 lc 4 title "linked", 713.2870 + 288.17960*x with lines lc 4 notitle, \
     "calls-sweep-storm-kprobe.dat" index 4 using 1:2 with points pt 7 lc 5 title "freplace", 804.4390 + 289.33900*x with lines lc 5 notitle, \
     "calls-sweep-storm-kprobe.dat" index 5 using 1:2 with points pt 7 lc 6 title "tailcall", 798.2820 + 301.24480*x with lines lc 6 notitle
