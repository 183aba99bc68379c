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
plot  "calls-sweep-storm-tracepoint.dat" index 0 using 1:2 with points pt 7 lc 1 title "empty", 396.0220 + 2.83290*x with lines lc 1 notitle, \
     "calls-sweep-storm-tracepoint.dat" index 1 using 1:2 with points pt 7 lc 2 title "inline", 749.9230 + 296.19460*x with lines lc 2 notitle, \
     "calls-sweep-storm-tracepoint.dat" index 2 using 1:2 with points pt 7 lc 3 title "noinline", 728.2140 + 305.62280*x with lines lc 3 notitle, \
     "calls-sweep-storm-tracepoint.dat" index 3 using 1:2 with points pt 7 lc 4 title "linked", 679.8250 + 304.53170*x with lines lc 4 notitle, \
     "calls-sweep-storm-tracepoint.dat" index 4 using 1:2 with points pt 7 lc 5 title "tailcall", 653.6550 + 330.55240*x with lines lc 5 notitle
