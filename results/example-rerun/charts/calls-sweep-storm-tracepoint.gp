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
plot  "calls-sweep-storm-tracepoint.dat" index 0 using 1:2 with points pt 7 lc 1 title "empty", 38.0320 + 0.47140*x with lines lc 1 notitle, \
     "calls-sweep-storm-tracepoint.dat" index 1 using 1:2 with points pt 7 lc 2 title "inline", 44.7820 + 87.74200*x with lines lc 2 notitle, \
     "calls-sweep-storm-tracepoint.dat" index 2 using 1:2 with points pt 7 lc 3 title "noinline", 44.7050 + 94.76720*x with lines lc 3 notitle, \
     "calls-sweep-storm-tracepoint.dat" index 3 using 1:2 with points pt 7 lc 4 title "global", 37.5820 + 96.11970*x with lines lc 4 notitle, \
     "calls-sweep-storm-tracepoint.dat" index 4 using 1:2 with points pt 7 lc 5 title "linked", 43.6240 + 94.51560*x with lines lc 5 notitle, \
     "calls-sweep-storm-tracepoint.dat" index 5 using 1:2 with points pt 7 lc 6 title "tailcall", 45.1270 + 90.62830*x with lines lc 6 notitle
