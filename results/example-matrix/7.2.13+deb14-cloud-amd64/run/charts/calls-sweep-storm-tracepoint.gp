# Regenerate: cd charts && gnuplot calls-sweep-storm-tracepoint.gp
if (!exists("outfile")) outfile = "calls-sweep-storm-tracepoint.png"
set terminal pngcairo size 960,540 font "sans,11" noenhanced
set output outfile
set grid ytics
set key below
set title "ns per trigger over K at storm/tracepoint: means over rounds (points), fitted lines (slope = ns per call)"
set xlabel "K (handler calls per trigger)"
set ylabel "ns per trigger"
set key left top
plot  "calls-sweep-storm-tracepoint.dat" index 0 using 1:2 with points pt 7 lc 1 title "empty", 166.1380 + 3.58590*x with lines lc 1 notitle, \
     "calls-sweep-storm-tracepoint.dat" index 1 using 1:2 with points pt 7 lc 2 title "inline", 500.9810 + 265.21450*x with lines lc 2 notitle, \
     "calls-sweep-storm-tracepoint.dat" index 2 using 1:2 with points pt 7 lc 3 title "noinline", 510.9180 + 276.90830*x with lines lc 3 notitle, \
     "calls-sweep-storm-tracepoint.dat" index 3 using 1:2 with points pt 7 lc 4 title "global", 516.4330 + 285.59440*x with lines lc 4 notitle, \
     "calls-sweep-storm-tracepoint.dat" index 4 using 1:2 with points pt 7 lc 5 title "linked", 447.0660 + 289.69370*x with lines lc 5 notitle, \
     "calls-sweep-storm-tracepoint.dat" index 5 using 1:2 with points pt 7 lc 6 title "freplace", 336.4930 + 332.49040*x with lines lc 6 notitle, \
     "calls-sweep-storm-tracepoint.dat" index 6 using 1:2 with points pt 7 lc 7 title "tailcall", 351.6090 + 305.68670*x with lines lc 7 notitle
