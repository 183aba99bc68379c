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
plot  "calls-sweep-storm-tracepoint.dat" index 0 using 1:2 with points pt 7 lc 1 title "empty", 195.2210 + 3.27050*x with lines lc 1 notitle, \
     "calls-sweep-storm-tracepoint.dat" index 1 using 1:2 with points pt 7 lc 2 title "inline", 415.8000 + 267.81170*x with lines lc 2 notitle, \
     "calls-sweep-storm-tracepoint.dat" index 2 using 1:2 with points pt 7 lc 3 title "noinline", 468.3560 + 284.61150*x with lines lc 3 notitle, \
     "calls-sweep-storm-tracepoint.dat" index 3 using 1:2 with points pt 7 lc 4 title "global", 506.2450 + 283.56130*x with lines lc 4 notitle, \
     "calls-sweep-storm-tracepoint.dat" index 4 using 1:2 with points pt 7 lc 5 title "linked", 347.4340 + 310.06450*x with lines lc 5 notitle, \
     "calls-sweep-storm-tracepoint.dat" index 5 using 1:2 with points pt 7 lc 6 title "freplace", 398.9200 + 289.86380*x with lines lc 6 notitle, \
     "calls-sweep-storm-tracepoint.dat" index 6 using 1:2 with points pt 7 lc 7 title "tailcall", 450.3090 + 298.58660*x with lines lc 7 notitle
